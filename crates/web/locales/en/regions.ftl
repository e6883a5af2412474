# The regions capability (src/regions/, templates/regions/).
regions-title = Regions
regions-new = Register a region
regions-edit = Edit region
regions-from-list = The name, reading and prefecture come from the national list of local government codes (Ministry of Internal Affairs and Communications).
regions-pick-intro = Find the municipality to register by its name or reading (e.g. 萩, ハギ, はぎ).
regions-pick-q = Municipality name or reading
regions-pick-search = Search
regions-pick-action = Register
regions-pick-registered = Registered (open the region)
regions-pick-choose = Register this municipality
