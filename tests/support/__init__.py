"""Test doubles shared by the fast and the slow tests."""
