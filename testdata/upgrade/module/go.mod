module example.com/upgrade

go 1.22
