"""The softphone: a Qt-free pjsua2 engine (engine.py) that a Qt adapter or a plain loop drives."""
