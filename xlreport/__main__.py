from xlreport.cli import main

main()
