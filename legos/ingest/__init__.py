"""Ingest: bringing outside content in (textures, models, USD assets, existing projects),
each step a pure function over files, its publishing side calling `Legos.publish`.
"""
