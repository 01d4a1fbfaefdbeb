"""Reply guidance: every draft reply is checked against the staff guidance before it is sent."""
