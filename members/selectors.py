"""Reads that several places share (views, admin, services)."""

from __future__ import annotations
