from ninja import Router

router = Router(tags=["idea types"])
