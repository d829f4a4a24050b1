"""Test data shared by the fake-server suites."""

MESSAGES = [{"role": "user", "content": "hello there world"}]
