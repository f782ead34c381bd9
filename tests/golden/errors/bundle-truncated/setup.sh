# a bundle cut short in its string table
"$1" build ../../constructs/policy -o gen.full.aipc
head -c 100 gen.full.aipc > gen.short.aipc
