namespace Doppel.Security;

/// <summary>What a subject may do with a resource: read it, change it (create, update, delete), or both.</summary>
[Flags]
public enum Access
{
    None = 0,
    Read = 1,
    Write = 2,
    ReadWrite = Read | Write,
}
