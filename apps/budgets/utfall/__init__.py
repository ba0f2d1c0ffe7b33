"""Utfall (actual outcomes) and prognosis: file parsing, account mapping, import, follow-up."""
