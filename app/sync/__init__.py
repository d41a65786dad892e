"""Sync between points and offices: identities and fingerprints (identity), assigned relay units
(relay), the signed container (container), payload encryption (payload), bundles written and read in
bounded memory (export, document_writer, document_reader), records checked and merged a batch at a
time (merge, record_pass, record_checks), held records (quarantine), receipts, chains and alarms.

Imports app.core and app.store; writes no SQL of its own (the sync tables' repositories are in
app.store) and never imports Qt."""
