"""The domain: fields and their validation, vocabularies, ids and the hybrid clock, roles, units,
passphrases and recovery keys, settings' meaning, i18n and progress.

Imports nothing else of app (and never PySide6): every other layer builds on it."""
