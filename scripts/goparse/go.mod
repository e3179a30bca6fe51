module goaudit.local/goparse

go 1.26
