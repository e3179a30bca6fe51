module example.com/fan

go 1.20
