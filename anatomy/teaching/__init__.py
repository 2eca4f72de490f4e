"""Teaching: the case library, generated cases and the quiz."""
