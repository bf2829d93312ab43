"""Alerts: rules, their pure evaluation, the alert lifecycle and what notifications are told."""
