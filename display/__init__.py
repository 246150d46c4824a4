"""The waiting-room display: the TV page and its voice.

Bare on purpose: the voice worker process imports `display.voice_worker`, and a package
that imported Flask and the hub here would make every worker start pay for them.
"""
