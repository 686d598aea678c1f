"""The demo organisation (Alder Valley Foods) and bulk benchmark data.

``build.seed_demo_organisation`` creates a believable company through the actions, so its audit
trail is complete; ``bulk.bulk_load`` adds any number of ideas fast for benchmarks. The
``seed_demo`` management command drives both.
"""
