# build the constructs bundle, then change one byte in its middle
"$1" build ../../constructs/policy -o gen.flipped.aipc
size=$(wc -c < gen.flipped.aipc)
printf 'X' | dd of=gen.flipped.aipc bs=1 seek=$((size / 2)) conv=notrunc 2>/dev/null
