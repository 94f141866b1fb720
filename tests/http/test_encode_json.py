"""Responses are encoded with orjson, and fall back to the stdlib for what it refuses."""

from __future__ import annotations

import json

from cdp.http.graphql_view import GraphQLView


def test_encodes_utf8_and_falls_back_for_huge_integers() -> None:
    view = GraphQLView.__new__(GraphQLView)  # encoding needs no schema
    assert json.loads(view.encode_json({"name": "张三"})) == {"name": "张三"}
    huge = {"data": {"properties": {"n": 2**70}}}
    assert json.loads(view.encode_json(huge)) == huge
