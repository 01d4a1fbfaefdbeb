"""Local process supervisor: `switchboard up` runs the whole pipeline on loopback."""
