using System.Text;

namespace Doppel.Server.Runtime.Internal;

/// <summary>
/// Reads a stream as lines of raw UTF-8, split as <see cref="StreamReader.ReadLine"/> splits them ("\n", "\r" or "\r\n").
/// </summary>
/// <remarks>
/// An import parses each line as UTF-8 JSON; reading it through a <see cref="StreamReader"/> decoded every line to a string
/// only for the parser to encode it back. A byte-order mark is honoured as <see cref="StreamReader"/> does: UTF-8's is
/// skipped, and UTF-16 or UTF-32 input is transcoded to UTF-8 first.
/// </remarks>
internal sealed class Utf8LineReader(Stream stream)
{
    private Stream _stream = stream;
    private byte[] _buffer = new byte[1 << 16];
    private int _start;
    private int _end;
    private bool _eof;
    private bool _started;

    /// <summary>The line read last (without its end of line); valid until the next call.</summary>
    public ReadOnlyMemory<byte> Current { get; private set; }

    /// <summary>Reads the next line into <see cref="Current"/>; false at the end of the input.</summary>
    public async ValueTask<bool> ReadLineAsync(CancellationToken ct)
    {
        if (!_started)
        {
            await StartAsync(ct);
        }
        var scanFrom = _start;
        while (true)
        {
            var found = _buffer.AsSpan(scanFrom, _end - scanFrom).IndexOfAny((byte)'\n', (byte)'\r');
            if (found >= 0)
            {
                var at = scanFrom + found;
                if (_buffer[at] == '\r' && at + 1 == _end && !_eof)
                {
                    // A "\r" last in the buffer: the next byte says whether the line ends with "\r\n".
                    scanFrom = at - _start;
                    await FillAsync(ct);
                    scanFrom += _start;
                    continue;
                }
                Current = _buffer.AsMemory(_start, at - _start);
                _start = at + (_buffer[at] == '\r' && at + 1 < _end && _buffer[at + 1] == '\n' ? 2 : 1);
                return true;
            }
            if (_eof)
            {
                if (_start == _end)
                {
                    Current = default;
                    return false;
                }
                Current = _buffer.AsMemory(_start, _end - _start);
                _start = _end;
                return true;
            }
            scanFrom = _end - _start;
            await FillAsync(ct);
            scanFrom += _start;
        }
    }

    /// <summary>Moves the unread bytes to the front (growing the buffer when a line fills it) and reads more.</summary>
    private async ValueTask FillAsync(CancellationToken ct)
    {
        var unread = _end - _start;
        if (unread == _buffer.Length)
        {
            Array.Resize(ref _buffer, _buffer.Length * 2);
        }
        else if (_start > 0)
        {
            _buffer.AsSpan(_start, unread).CopyTo(_buffer);
        }
        _start = 0;
        _end = unread;
        var read = await _stream.ReadAsync(_buffer.AsMemory(_end), ct);
        if (read == 0)
        {
            _eof = true;
        }
        _end += read;
    }

    private async ValueTask StartAsync(CancellationToken ct)
    {
        _started = true;
        _end = await _stream.ReadAtLeastAsync(_buffer.AsMemory(0, 4), 4, throwOnEndOfStream: false, ct);
        _eof = _end < 4;
        var head = _buffer.AsSpan(0, _end);
        if (head.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            _start = 3;
            return;
        }
        Encoding? encoding =
            head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE, 0, 0]) ? new UTF32Encoding(bigEndian: false, byteOrderMark: false)
            : head.StartsWith((ReadOnlySpan<byte>)[0, 0, 0xFE, 0xFF]) ? new UTF32Encoding(bigEndian: true, byteOrderMark: false)
            : head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) ? new UnicodeEncoding(bigEndian: false, byteOrderMark: false)
            : head.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]) ? new UnicodeEncoding(bigEndian: true, byteOrderMark: false)
            : null;
        if (encoding is null)
        {
            return;
        }
        // Rare: decode the rest (after the mark) to UTF-8 and read that instead.
        var bom = encoding is UTF32Encoding ? 4 : 2;
        var rest = new PrefixedStream(_buffer.AsSpan(bom, _end - bom).ToArray(), _stream);
        _stream = Encoding.CreateTranscodingStream(rest, encoding, Encoding.UTF8);
        _start = _end = 0;
        _eof = false;
    }

    /// <summary>Bytes already read, then the rest of a stream.</summary>
    private sealed class PrefixedStream(byte[] prefix, Stream rest) : Stream
    {
        private int _position;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            if (_position < prefix.Length)
            {
                var n = Math.Min(buffer.Length, prefix.Length - _position);
                prefix.AsSpan(_position, n).CopyTo(buffer);
                _position += n;
                return n;
            }
            return rest.Read(buffer);
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            _position < prefix.Length ? ValueTask.FromResult(Read(buffer.Span)) : rest.ReadAsync(buffer, cancellationToken);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
