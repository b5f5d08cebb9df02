namespace Doppel.Packs.Mobility.Views.Internal;

/// <summary>
/// Writes an animated GIF (GIF89a, looping) frame by frame: one global palette, LZW-coded as the format requires.
/// Pixels are mapped to the palette through a 15-bit colour table, with the palette's own colours mapped exactly, so
/// the colours the painter chose survive and antialiased edges take the nearest entry. After the first frame, only the
/// rectangle that changed is written, its unchanged pixels transparent over the frame before (the palette's spare
/// entry): a map where vehicles move and a few roads change colour codes in a fraction of a whole frame.
/// </summary>
internal sealed class GifWriter : IDisposable
{
    private const int MaxCodes = 4096;
    private const int ClearCode = 256;
    private const int EndCode = 257;

    private readonly Stream _stream;
    private readonly int _width;
    private readonly int _height;
    private readonly byte[] _colourIndex = new byte[1 << 15];
    private readonly byte[] _indices;
    private readonly byte[] _previous;
    private readonly byte[] _patch;
    private readonly int _transparent;
    private readonly int[] _codes = new int[MaxCodes * 256];
    private readonly byte[] _block = new byte[255];
    private int _blockLength;
    private int _bitBuffer;
    private int _bitCount;
    private bool _finished;

    /// <summary>Starts a file of <paramref name="width"/> × <paramref name="height"/> pixels on <paramref name="stream"/> with <paramref name="palette"/>: up to 256 colours as 0xRRGGBB (the later ones win a 15-bit cell two of them share).</summary>
    public GifWriter(Stream stream, int width, int height, IReadOnlyList<uint> palette)
    {
        if (palette.Count is 0 or > 255)
        {
            throw new ArgumentOutOfRangeException(nameof(palette), palette.Count, "The palette holds 1 to 255 colours (the 256th entry is the transparent one).");
        }
        _stream = stream;
        _width = width;
        _height = height;
        _indices = new byte[width * height];
        _previous = new byte[width * height];
        _patch = new byte[width * height];
        _transparent = palette.Count;
        BuildColourIndex(palette);
        WriteHeader(palette);
    }

    public int Frames { get; private set; }

    /// <summary>Adds a frame from RGBA pixels (4 bytes a pixel, rows top to bottom), shown for <paramref name="delayCentiseconds"/>.</summary>
    public void AddFrame(ReadOnlySpan<byte> rgba, int delayCentiseconds)
    {
        if (rgba.Length < _indices.Length * 4)
        {
            throw new ArgumentException($"A frame of {_width}×{_height} needs {_indices.Length * 4} bytes, not {rgba.Length}.", nameof(rgba));
        }
        for (var i = 0; i < _indices.Length; i++)
        {
            var p = i * 4;
            _indices[i] = _colourIndex[((rgba[p] >> 3) << 10) | ((rgba[p + 1] >> 3) << 5) | (rgba[p + 2] >> 3)];
        }
        var (left, top, right, bottom) = Frames == 0 ? (0, 0, _width - 1, _height - 1) : Changed();
        var width = right - left + 1;
        var height = bottom - top + 1;
        var pixels = _patch.AsSpan(0, width * height);
        for (var y = 0; y < height; y++)
        {
            var row = ((top + y) * _width) + left;
            for (var x = 0; x < width; x++)
            {
                var index = _indices[row + x];
                pixels[(y * width) + x] = Frames > 0 && index == _previous[row + x] ? (byte)_transparent : index;
            }
        }
        // Graphic control extension: the frame stays under the next (disposal 1), its spare entry transparent after the first, then its delay.
        var delay = Math.Clamp(delayCentiseconds, 0, ushort.MaxValue);
        _stream.Write([0x21, 0xF9, 0x04, (byte)(Frames == 0 ? 0x04 : 0x05), (byte)delay, (byte)(delay >> 8), (byte)_transparent, 0x00]);
        // Image descriptor: the rectangle written, no local palette, not interlaced.
        _stream.Write([0x2C, (byte)left, (byte)(left >> 8), (byte)top, (byte)(top >> 8), (byte)width, (byte)(width >> 8), (byte)height, (byte)(height >> 8), 0x00]);
        _stream.WriteByte(8);
        WriteLzw(pixels);
        _stream.WriteByte(0);
        _indices.CopyTo(_previous, 0);
        Frames++;
    }

    /// <summary>The smallest rectangle holding every pixel that differs from the frame before (one pixel when none does).</summary>
    private (int Left, int Top, int Right, int Bottom) Changed()
    {
        int left = _width, top = _height, right = -1, bottom = -1;
        for (var y = 0; y < _height; y++)
        {
            var row = y * _width;
            var first = -1;
            var last = -1;
            for (var x = 0; x < _width; x++)
            {
                if (_indices[row + x] != _previous[row + x])
                {
                    if (first < 0)
                    {
                        first = x;
                    }
                    last = x;
                }
            }
            if (first >= 0)
            {
                left = Math.Min(left, first);
                right = Math.Max(right, last);
                top = Math.Min(top, y);
                bottom = y;
            }
        }
        return right < 0 ? (0, 0, 0, 0) : (left, top, right, bottom);
    }

    /// <summary>Writes the trailer; the stream then holds a complete file.</summary>
    public void Finish()
    {
        if (!_finished)
        {
            _stream.WriteByte(0x3B);
            _stream.Flush();
            _finished = true;
        }
    }

    public void Dispose() => Finish();

    private void BuildColourIndex(IReadOnlyList<uint> palette)
    {
        for (var cell = 0; cell < _colourIndex.Length; cell++)
        {
            var r = ((cell >> 10) << 3) | 4;
            var g = (((cell >> 5) & 31) << 3) | 4;
            var b = ((cell & 31) << 3) | 4;
            var best = 0;
            var bestDistance = int.MaxValue;
            for (var i = 0; i < palette.Count; i++)
            {
                var c = palette[i];
                var dr = r - (int)((c >> 16) & 0xFF);
                var dg = g - (int)((c >> 8) & 0xFF);
                var db = b - (int)(c & 0xFF);
                // Weighted as the eye sees differences (green most, blue least).
                var distance = (3 * dr * dr) + (4 * dg * dg) + (2 * db * db);
                if (distance < bestDistance)
                {
                    bestDistance = distance;
                    best = i;
                }
            }
            _colourIndex[cell] = (byte)best;
        }
        for (var i = 0; i < palette.Count; i++)
        {
            var c = palette[i];
            _colourIndex[(int)((((c >> 16) & 0xFF) >> 3) << 10 | (((c >> 8) & 0xFF) >> 3) << 5 | ((c & 0xFF) >> 3))] = (byte)i;
        }
    }

    private void WriteHeader(IReadOnlyList<uint> palette)
    {
        _stream.Write("GIF89a"u8);
        // Logical screen: size, a global palette of 256 entries (8 bits of colour resolution), background entry 0.
        _stream.Write([(byte)_width, (byte)(_width >> 8), (byte)_height, (byte)(_height >> 8), 0xF7, 0x00, 0x00]);
        var table = new byte[256 * 3];
        for (var i = 0; i < palette.Count; i++)
        {
            table[i * 3] = (byte)(palette[i] >> 16);
            table[(i * 3) + 1] = (byte)(palette[i] >> 8);
            table[(i * 3) + 2] = (byte)palette[i];
        }
        _stream.Write(table);
        // NETSCAPE2.0 application extension: loop for ever.
        _stream.Write([0x21, 0xFF, 0x0B, .. "NETSCAPE2.0"u8, 0x03, 0x01, 0x00, 0x00, 0x00]);
    }

    /// <summary>
    /// LZW with 8-bit roots as GIF uses it: codes start at 9 bits and grow to 12; when the table is full a clear code
    /// starts it afresh. The table is a dense array indexed by (prefix code, next byte): 0 means no entry yet.
    /// </summary>
    private void WriteLzw(ReadOnlySpan<byte> indices)
    {
        Array.Clear(_codes);
        var codeSize = 9;
        var next = EndCode + 1;
        Emit(ClearCode, codeSize);
        int prefix = indices[0];
        for (var i = 1; i < indices.Length; i++)
        {
            var symbol = indices[i];
            var key = (prefix << 8) | symbol;
            var code = _codes[key];
            if (code != 0)
            {
                prefix = code;
                continue;
            }
            Emit(prefix, codeSize);
            if (next < MaxCodes)
            {
                _codes[key] = next++;
                // The decoder adds its entries one code later, so it widens its codes once next passes the size.
                if (next > (1 << codeSize) && codeSize < 12)
                {
                    codeSize++;
                }
            }
            else
            {
                Emit(ClearCode, codeSize);
                Array.Clear(_codes);
                codeSize = 9;
                next = EndCode + 1;
            }
            prefix = symbol;
        }
        Emit(prefix, codeSize);
        Emit(EndCode, codeSize);
        if (_bitCount > 0)
        {
            AddByte((byte)_bitBuffer);
            _bitBuffer = 0;
            _bitCount = 0;
        }
        FlushBlock();
    }

    private void Emit(int code, int size)
    {
        _bitBuffer |= code << _bitCount;
        _bitCount += size;
        while (_bitCount >= 8)
        {
            AddByte((byte)_bitBuffer);
            _bitBuffer >>= 8;
            _bitCount -= 8;
        }
    }

    private void AddByte(byte value)
    {
        _block[_blockLength++] = value;
        if (_blockLength == _block.Length)
        {
            FlushBlock();
        }
    }

    private void FlushBlock()
    {
        if (_blockLength > 0)
        {
            _stream.WriteByte((byte)_blockLength);
            _stream.Write(_block, 0, _blockLength);
            _blockLength = 0;
        }
    }
}
