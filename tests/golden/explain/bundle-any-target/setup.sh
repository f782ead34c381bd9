#!/bin/sh
# a bundle built from the shipped pack: explain reads its debug entries
"$1" build ../../../../policies/ir8596 -o gen.aipc
