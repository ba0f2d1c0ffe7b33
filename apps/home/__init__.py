"""The förbund's start page on the top floor: it reads from every domain app, and no app imports it."""
