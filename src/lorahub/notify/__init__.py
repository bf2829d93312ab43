"""Notification channels of tenants: routing, messages, a durable outbox and its delivery."""
