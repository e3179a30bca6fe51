module goaudit.local/variants

go 1.26
