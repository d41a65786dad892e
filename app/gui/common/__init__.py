"""What more than one screen uses: the worker thread and the session over it (tasks, session),
form building and validation display (forms, widgets, record_dialog), table models (tables), the
lists forms choose from (lookups), printing, error messages, the client picker, and the trend
chart that the Today and Reports screens draw.

May import Qt and the headless layers (app.core, app.store, app.sync, app.reports); never another
app.gui package. Widgets here never run SQL: the register is reached through `Session.run`."""
