"""Pictures of a blueprint's data flow: a small graph model and its Mermaid and SVG forms."""
