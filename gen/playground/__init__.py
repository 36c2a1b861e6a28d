"""The Playground's data: its tuned rates and the numbers its page quotes.

The modules of docs/playground.md; see README.md beside this file."""
