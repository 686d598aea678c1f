from ninja import Router

router = Router(tags=["import and export"])
