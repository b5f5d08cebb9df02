Console.WriteLine("doppel");
