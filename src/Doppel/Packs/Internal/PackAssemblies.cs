using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Runtime.Loader;

namespace Doppel.Packs.Internal;

/// <summary>
/// Finds pack assemblies in a folder by reading metadata only (an assembly attribute <see cref="DoppelPackAttribute"/>),
/// so that scanning the host's folder loads nothing but packs; and loads them, sharing the host's own assemblies.
/// </summary>
internal static class PackAssemblies
{
    private static readonly Lazy<HashSet<string>> HostAssemblies = new(() =>
    {
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        if (AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") is string list)
        {
            foreach (var path in list.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            {
                names.Add(Path.GetFileNameWithoutExtension(path));
            }
        }
        return names;
    });

    /// <summary>The assemblies of a folder (not its subfolders) that name a pack type.</summary>
    public static IEnumerable<string> In(string directory) =>
        Directory.EnumerateFiles(directory, "*.dll", SearchOption.TopDirectoryOnly).Order(StringComparer.Ordinal).Where(NamesAPack);

    /// <summary>
    /// The assembly at <paramref name="path"/>: the one already loaded or known to the host under its name, else loaded
    /// in a context of its own that resolves its private dependencies from its folder (its <c>.deps.json</c>).
    /// </summary>
    public static Assembly Load(string path)
    {
        var name = AssemblyName.GetAssemblyName(path);
        if (AppDomain.CurrentDomain.GetAssemblies().FirstOrDefault(a => string.Equals(a.GetName().Name, name.Name, StringComparison.OrdinalIgnoreCase)) is { } loaded)
        {
            return loaded;
        }
        return IsHostAssembly(name)
            ? AssemblyLoadContext.Default.LoadFromAssemblyName(name)
            : new PackLoadContext(path).LoadFromAssemblyPath(Path.GetFullPath(path));
    }

    internal static bool IsHostAssembly(AssemblyName name) => name.Name is { } simple && HostAssemblies.Value.Contains(simple);

    private static bool NamesAPack(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            using var pe = new PEReader(stream);
            if (!pe.HasMetadata)
            {
                return false;
            }
            var metadata = pe.GetMetadataReader();
            if (!metadata.IsAssembly)
            {
                return false;
            }
            foreach (var handle in metadata.GetAssemblyDefinition().GetCustomAttributes())
            {
                var (ns, type) = AttributeType(metadata, metadata.GetCustomAttribute(handle));
                if (ns == typeof(DoppelPackAttribute).Namespace && type == nameof(DoppelPackAttribute))
                {
                    return true;
                }
            }
            return false;
        }
        catch (Exception e) when (e is BadImageFormatException or IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            // Not a managed assembly (a native library), or unreadable: not a pack.
            return false;
        }
    }

    private static (string? Namespace, string? Name) AttributeType(MetadataReader metadata, CustomAttribute attribute)
    {
        EntityHandle parent;
        if (attribute.Constructor.Kind == HandleKind.MemberReference)
        {
            parent = metadata.GetMemberReference((MemberReferenceHandle)attribute.Constructor).Parent;
        }
        else if (attribute.Constructor.Kind == HandleKind.MethodDefinition)
        {
            parent = metadata.GetMethodDefinition((MethodDefinitionHandle)attribute.Constructor).GetDeclaringType();
        }
        else
        {
            return (null, null);
        }
        return parent.Kind switch
        {
            HandleKind.TypeReference => (metadata.GetString(metadata.GetTypeReference((TypeReferenceHandle)parent).Namespace), metadata.GetString(metadata.GetTypeReference((TypeReferenceHandle)parent).Name)),
            HandleKind.TypeDefinition => (metadata.GetString(metadata.GetTypeDefinition((TypeDefinitionHandle)parent).Namespace), metadata.GetString(metadata.GetTypeDefinition((TypeDefinitionHandle)parent).Name)),
            _ => (null, null),
        };
    }

    /// <summary>An external pack's load context: the host's assemblies (Doppel above all) are shared, so that <see cref="IPack"/> is one type; the rest comes from the pack's folder.</summary>
    private sealed class PackLoadContext : AssemblyLoadContext
    {
        private readonly AssemblyDependencyResolver? _resolver;
        private readonly string _directory;

        public PackLoadContext(string path)
            : base($"pack:{Path.GetFileNameWithoutExtension(path)}")
        {
            _directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
            try
            {
                _resolver = new AssemblyDependencyResolver(Path.GetFullPath(path));
            }
            catch (InvalidOperationException)
            {
                // No host policy to read a .deps.json with (a single-file host): fall back to the pack's folder.
                _resolver = null;
            }
        }

        protected override Assembly? Load(AssemblyName assemblyName)
        {
            if (IsHostAssembly(assemblyName))
            {
                return null;
            }
            var path = _resolver?.ResolveAssemblyToPath(assemblyName) ?? Path.Combine(_directory, assemblyName.Name + ".dll");
            return File.Exists(path) ? LoadFromAssemblyPath(path) : null;
        }

        protected override IntPtr LoadUnmanagedDll(string unmanagedDllName) =>
            _resolver?.ResolveUnmanagedDllToPath(unmanagedDllName) is { } path ? LoadUnmanagedDllFromPath(path) : IntPtr.Zero;
    }
}
