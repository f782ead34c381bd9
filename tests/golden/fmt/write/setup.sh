# -w rewrites the messy copy (to what `aip fmt` prints) and leaves the
# canonical one untouched (same inode, same modification time); the check in
# cmd then finds both canonical.
set -e
cp messy.aip gen.messy.aip
cp canon.aip gen.canon.aip
touch -d '2020-01-01 00:00:00' gen.canon.aip
before=$(ls -i gen.canon.aip)
"$1" fmt messy.aip > gen.expected.aip
"$1" fmt -w gen.messy.aip gen.canon.aip
cmp gen.messy.aip gen.expected.aip
[ "$(ls -i gen.canon.aip)" = "$before" ]
[ "$(date -r gen.canon.aip +%Y)" = 2020 ]
! ls -A | grep -q '^\.gen'
