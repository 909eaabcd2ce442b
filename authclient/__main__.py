from authclient.cli import main

main()
