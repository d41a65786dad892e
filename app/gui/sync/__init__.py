"""The Sync screen: a point's bundles out and receipts in (point), an office's import with its dry
run (bundle_import, district), keys and fingerprints (keys), relays, held and refused records,
and possible duplicate persons; `common` holds what these tabs share.

Imports app.gui.common and the headless layers only."""
