"""Pure Block Kit builders: data in, blocks out. No client, session or clock here."""
