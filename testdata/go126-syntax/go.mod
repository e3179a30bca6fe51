module example.com/go126

go 1.26
