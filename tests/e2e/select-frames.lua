-- SPDX-License-Identifier: GPL-2.0-or-later
--
-- Loaded by tshark with -X lua_script:select-frames.lua
-- -X lua_script1:FILTERS, where FILTERS is a file of display filters, one
-- a line. Each filter gets a tap listener, so Wireshark's own filter engine
-- decides, in this one run, which frames each filter selects (the frames
-- -Y FILTER would print). When the file has been read, one line per filter
-- goes to stderr:
--     ntt-e2e-selected <TAB> line number (from 1) <TAB> frame,frame,...
-- and, once loaded, "ntt-e2e-filters <TAB> count", so the harness knows
-- the selections are coming (see tests/e2e/shared_dissection.py).

local filters_file = ...
local count = 0

for filter in io.lines(filters_file) do
    count = count + 1
    local line = count
    local frames = {}
    local listener = Listener.new(nil, filter)
    -- A new read of the file starts the selection again.
    function listener.reset()
        frames = {}
    end
    function listener.packet(pinfo)
        frames[#frames + 1] = pinfo.number
    end
    function listener.draw()
        io.stderr:write("ntt-e2e-selected\t" .. line .. "\t" .. table.concat(frames, ",") .. "\n")
    end
end

io.stderr:write("ntt-e2e-filters\t" .. count .. "\n")
