using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("Cmpay.Tests")]
