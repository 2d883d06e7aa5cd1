"""The screens the main window composes, each small and given a UiContext."""
