"""Engine version, recorded in every result so a figure can be recomputed."""

#: bump the minor version when a number the engine returns can change
ENGINE_VERSION = "1.1.0"
