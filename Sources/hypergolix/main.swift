print("hgx")
