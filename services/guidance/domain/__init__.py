"""Pure checks of a draft reply: no I/O, no clock; the lists arrive as a validated config."""
