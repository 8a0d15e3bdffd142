"""The demo: made-up content on top of the real site structure, as data (demo/content/*.toml) with one loader."""
