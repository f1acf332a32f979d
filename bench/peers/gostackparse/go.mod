module panicscope/bench/peers/gostackparse

go 1.18

require github.com/DataDog/gostackparse v0.7.0
