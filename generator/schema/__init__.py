"""The AWS provider schema trellis checks against and serves from its offline provider.

The compact schema has the layout of ``terraform providers schema -json`` restricted to
one provider: ``{"provider_version": "...", "resource_schemas": {type: {"version": n,
"block": BLOCK}}, "data_source_schemas": {...}}`` where ``BLOCK`` is ``{"attributes":
{name: {"type": cty-type-json, "required"|"optional"|"computed"|"sensitive": true}},
"block_types": {name: {"nesting_mode": "single|list|set|map|group", "min_items": n,
"max_items": n, "block": BLOCK}}}``. Descriptions are dropped.

The committed file also carries the header fields ``sources`` and ``cross_check`` (where the
schema comes from, and how far its two sources agree). A block whose contents no source
describes (recursive or untyped in the bindings: the ``statement`` blocks of wafv2, the
``definition`` of quicksight) is ``{"opaque": true}`` and its contents are not checked.
"""
