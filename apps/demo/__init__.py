"""Demo data on the top floor: it writes into every domain app, and no app imports it."""
