def parse(:
    pass
