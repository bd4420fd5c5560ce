"""Frozen selections: pin sets in the graph, manifests on disk, and resolution from them."""
