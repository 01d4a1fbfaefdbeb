"""Pollers for platforms that are polled: one adapter per platform behind one interface."""
