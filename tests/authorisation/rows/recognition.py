def build_world(world):
    return {}


ROWS = []
