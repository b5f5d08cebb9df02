using System.Text;
using Doppel.Server.Runtime.Internal;

namespace Doppel.IntegrationTests;

/// <summary>The import's raw UTF-8 line reader splits and decodes input exactly as the <see cref="StreamReader"/> it replaced.</summary>
public sealed class Utf8LineReaderTests
{
    public static TheoryData<string> Texts => new()
    {
        "",
        "a",
        "a\n",
        "a\nb",
        "a\r\nb\r\n",
        "a\rb\r",
        "a\r\r\nb\n\n\nc",
        "\n\r\n",
        "{\"x\": \"é€😀\"}\n{\"y\": 1}",
        new string('x', 70_000) + "\r\n" + new string('y', 200_000) + "\nz",
        string.Concat(Enumerable.Range(0, 20_000).Select(i => i % 3 == 0 ? $"line {i}\r\n" : i % 3 == 1 ? $"line {i}\r" : $"line {i}\n")),
    };

    [Theory]
    [MemberData(nameof(Texts))]
    public async Task Lines_match_StreamReader_for_every_encoding_and_read_size(string text)
    {
        Encoding[] encodings = [new UTF8Encoding(false), new UTF8Encoding(true), new UnicodeEncoding(false, true), new UnicodeEncoding(true, true), new UTF32Encoding(false, true), new UTF32Encoding(true, true)];
        foreach (var encoding in encodings)
        {
            var bytes = encoding.GetPreamble().Concat(encoding.GetBytes(text)).ToArray();
            var expected = new List<string>();
            using (var reader = new StreamReader(new MemoryStream(bytes), Encoding.UTF8, detectEncodingFromByteOrderMarks: true))
            {
                while (reader.ReadLine() is { } line)
                {
                    expected.Add(line);
                }
            }
            foreach (var readSize in new[] { 1, 3, 4096, int.MaxValue })
            {
                var lines = new List<string>();
                var utf8 = new Utf8LineReader(new TrickleStream(bytes, readSize));
                while (await utf8.ReadLineAsync(CancellationToken.None))
                {
                    lines.Add(Encoding.UTF8.GetString(utf8.Current.Span));
                }
                Assert.Equal(expected, lines);
            }
        }
    }

    /// <summary>Returns at most a given number of bytes per read, to split lines and "\r\n" across reads.</summary>
    private sealed class TrickleStream(byte[] bytes, int readSize) : MemoryStream(bytes)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, readSize));

        public override int Read(Span<byte> buffer) => base.Read(buffer[..Math.Min(buffer.Length, readSize)]);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(Read(buffer.Span));
    }
}
