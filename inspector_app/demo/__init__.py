"""The demo workspace: realistic data, the same every run, for training, screenshots and trying
the app. ``workspace`` makes it through the use cases; ``seed`` holds what it invents and ``images``
the pictures it draws. Above ``services`` (it calls them) and below ``ui`` and ``cli``."""
